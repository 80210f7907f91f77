/** Time as the engine sees it; tests inject a clock they can move to check expiry. */
export interface Clock {
  /** Integer Unix seconds. */
  nowSeconds(): number;
}

export const systemClock: Clock = { nowSeconds: () => Math.floor(Date.now() / 1000) };
