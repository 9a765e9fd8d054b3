import { describe, expect, it } from 'vitest';
import {
  allocatableCpuMillicores,
  cpuReservationSplit,
  reservedCpuMillicores,
} from '../../src/nodes/allocatable.ts';

describe('Harvester CPU reservation (calculateCPUReservedInMilliCPU, controlplane.md §5)', () => {
  it('reserves 1020 m on 16 cores with max-pods 200, split 408 m / 612 m', () => {
    // 60 + 10 + 5 + 5 + 12 × 2.5 = 110 m, + 400 m (max-pods > 110) = 510 m, doubled = 1020 m.
    expect(reservedCpuMillicores(16, 200)).toBe(1020);
    expect(cpuReservationSplit(16, 200)).toEqual({ systemMillicores: 408, kubeMillicores: 612 });
    expect(allocatableCpuMillicores(16, 200)).toBe(16000 - 1020);
  });

  it('adds the 400 m only above 110 pods', () => {
    // 4 cores: 60 + 10 + 5 + 5 = 80 m, doubled 160 m.
    expect(reservedCpuMillicores(4, 110)).toBe(160);
    expect(reservedCpuMillicores(4, 111)).toBe(960);
  });
});
