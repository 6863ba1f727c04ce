import { loadSuites } from './suites';

loadSuites('aws');
