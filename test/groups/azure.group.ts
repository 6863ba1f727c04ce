import { loadSuites } from './suites';

loadSuites('azure');
