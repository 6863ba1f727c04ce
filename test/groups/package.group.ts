import { loadSuites } from './suites';

loadSuites('package');
