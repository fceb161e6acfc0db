/** "3h 12m left", "45m left", or "expired", from an RFC 3339 time and now. */
export function timeLeft(expiresAt: string | undefined, now: number): string {
  if (!expiresAt) return 'no expiry yet';
  const minutes = Math.floor((Date.parse(expiresAt) - now) / 60_000);
  if (minutes <= 0) return 'expired';
  const hours = Math.floor(minutes / 60);
  return hours > 0 ? `${hours}h ${minutes % 60}m left` : `${minutes}m left`;
}
