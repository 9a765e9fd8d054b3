/**
 * Harvester's kubelet reservations (harvester/harvester:pkg/installer/config/config.go,
 * `calculateCPUReservedInMilliCPU`); the rates and the split are in `cpuReservation` (defaults.ts).
 */
import { type CpuReservation, cpuReservation } from './defaults.ts';

/** CPU reserved for system and kube daemons together. */
export function reservedCpuMillicores(
  cores: number,
  maxPods: number,
  reservation: CpuReservation = cpuReservation,
): number {
  // Per tier, not per core: a node of 2^53 cores costs four steps, not 2^53 (issue 11).
  const whole = Math.floor(cores);
  let reserved = 0;
  let counted = 0;
  for (const tier of reservation.tiers) {
    const inTier = Math.max(0, Math.min(whole, tier.throughCore) - counted);
    reserved += inTier * tier.millicoresPerCore;
    counted += inTier;
    if (counted >= whole) break;
  }
  if (maxPods > reservation.manyPodsAbove) reserved += reservation.manyPodsExtraMillicores;
  return reservation.multiplier * reserved;
}

/** system-reserved and kube-reserved. */
export function cpuReservationSplit(
  cores: number,
  maxPods: number,
  reservation: CpuReservation = cpuReservation,
): { systemMillicores: number; kubeMillicores: number } {
  const total = reservedCpuMillicores(cores, maxPods, reservation);
  const parts = reservation.systemParts + reservation.kubeParts;
  return {
    systemMillicores: (total * reservation.systemParts) / parts,
    kubeMillicores: (total * reservation.kubeParts) / parts,
  };
}

export function allocatableCpuMillicores(cores: number, maxPods: number): number {
  return cores * 1000 - reservedCpuMillicores(cores, maxPods);
}
