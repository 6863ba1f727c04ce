import { loadSuites } from './suites';

loadSuites('gcp');
