import { loadSuites } from './suites';

loadSuites('docs');
