/** `1d 02:03:04` / `02:03:04` / `03:04.5`: simulated durations for people. */
export function durationText(seconds: number): string {
  const sign = seconds < 0 ? '-' : '';
  let s = Math.abs(seconds);
  const days = Math.floor(s / 86400);
  s -= days * 86400;
  const hours = Math.floor(s / 3600);
  s -= hours * 3600;
  const minutes = Math.floor(s / 60);
  s -= minutes * 60;
  const two = (n: number) => String(n).padStart(2, '0');
  const secs = s < 10 ? `0${s.toFixed(1)}` : s.toFixed(1);
  const clock = hours > 0 || days > 0 ? `${two(hours)}:${two(minutes)}:${secs}` : `${two(minutes)}:${secs}`;
  return `${sign}${days > 0 ? `${days}d ` : ''}${clock}`;
}
