import { useEffect, useState } from 'preact/hooks';

/**
 * The Sign / Connect button is armed only after the request has been on screen for a moment, and
 * re-armed whenever the window regains focus: a double click cannot approve the request that
 * replaced the one just answered, and a window that pops up under the cursor cannot catch a click
 * meant for the page (clickjacking; wallet-practice.md §3.4).
 */
export const APPROVE_ARM_MS = 1000;

export function useArmed(requestId: string | undefined): boolean {
  const [armed, setArmed] = useState<string | null>(null);
  useEffect(() => {
    if (!requestId) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const arm = () => {
      setArmed(null);
      clearTimeout(timer);
      timer = setTimeout(() => setArmed(requestId), APPROVE_ARM_MS);
    };
    const onVisibility = () => (document.visibilityState === 'visible' ? arm() : setArmed(null));
    arm();
    window.addEventListener('focus', arm);
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      clearTimeout(timer);
      window.removeEventListener('focus', arm);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [requestId]);
  return armed !== null && armed === requestId;
}
