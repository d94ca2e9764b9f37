export { type Fault, FaultInjector, type FaultRule } from './faults.ts';
export { createEmulatorBase, type EmulatorBase, listen, type RunningEmulator } from './http-emulator.ts';
export { type Clock, ConcurrencyGate, KeyedBuckets, systemClock, TokenBucket } from './limiters.ts';
export { type RecordedRequest, RequestLog } from './request-log.ts';
