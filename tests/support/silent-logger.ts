import { pino } from 'pino';

/** A logger for tests that keeps quiet unless TEST_LOG is set. */
export const silentLogger = pino({ level: process.env.TEST_LOG ?? 'silent' });
