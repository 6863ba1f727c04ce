import { loadSuites } from './suites';

loadSuites('review');
