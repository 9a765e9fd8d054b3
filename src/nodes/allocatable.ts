/**
 * Harvester's kubelet reservations. CPU: `calculateCPUReservedInMilliCPU` (GKE-style): 6 % of core 1,
 * 1 % of core 2, 0.5 % each of cores 3-4, 0.25 % of each further core, +400 m because max-pods > 110;
 * the result is doubled and split 2:3 into system-reserved / kube-reserved
 * (harvester/harvester:pkg/installer/config/config.go; controlplane.md §5: 16 cores → 1020 m).
 */
export function reservedCpuMillicores(cores: number, maxPods: number): number {
  const whole = Math.floor(cores);
  let reserved = 0;
  for (let core = 1; core <= whole; core++) {
    if (core === 1) reserved += 60;
    else if (core === 2) reserved += 10;
    else if (core <= 4) reserved += 5;
    else reserved += 2.5;
  }
  if (maxPods > 110) reserved += 400;
  return 2 * reserved;
}

/** system-reserved and kube-reserved, split 2:3. */
export function cpuReservationSplit(
  cores: number,
  maxPods: number,
): { systemMillicores: number; kubeMillicores: number } {
  const total = reservedCpuMillicores(cores, maxPods);
  return { systemMillicores: (total * 2) / 5, kubeMillicores: (total * 3) / 5 };
}

export function allocatableCpuMillicores(cores: number, maxPods: number): number {
  return cores * 1000 - reservedCpuMillicores(cores, maxPods);
}
