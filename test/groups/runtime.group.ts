import { loadSuites } from './suites';

loadSuites('runtime');
