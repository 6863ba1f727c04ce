import { loadSuites } from './suites';

loadSuites('core');
