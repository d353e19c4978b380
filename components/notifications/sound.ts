// A short two-tone chime generated with Web Audio: no asset to download. Browsers only let a page
// make sound after the user interacted with it, so the AudioContext is created on the first gesture.

let context: AudioContext | null = null;
let listening = false;

function unlock() {
  if (!context) {
    const Ctor = window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
    if (!Ctor) return;
    context = new Ctor();
  }
  void context.resume().catch(() => {});
}

/** Call once on the client: the first click or key press makes sound possible. */
export function prepareSound() {
  if (listening || typeof window === "undefined") return;
  listening = true;
  const once = () => {
    unlock();
    window.removeEventListener("pointerdown", once, true);
    window.removeEventListener("keydown", once, true);
  };
  window.addEventListener("pointerdown", once, true);
  window.addEventListener("keydown", once, true);
}

export const soundReady = () => context !== null && context.state === "running";

/** The urgent chime (~0.35 s). Returns false when the page may not make sound yet. */
export function playChime(): boolean {
  if (!context || context.state !== "running") return false;
  const t = context.currentTime;
  const gain = context.createGain();
  gain.connect(context.destination);
  gain.gain.setValueAtTime(0.0001, t);
  for (const [i, freq] of [880, 1320].entries()) {
    const start = t + i * 0.14;
    const osc = context.createOscillator();
    osc.type = "sine";
    osc.frequency.setValueAtTime(freq, start);
    osc.connect(gain);
    gain.gain.exponentialRampToValueAtTime(0.18, start + 0.015);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.13);
    osc.start(start);
    osc.stop(start + 0.14);
  }
  return true;
}

/** From a click (the settings' "Play test sound"): unlocks audio if needed, then plays. */
export async function playChimeFromGesture() {
  unlock();
  await context?.resume().catch(() => {});
  return playChime();
}
