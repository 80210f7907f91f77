import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ByteBudget } from '../../../src/engine/retrieval/byteBudget.ts';

/** Which of the reservations have been granted so far (after pending promise callbacks ran). */
async function granted(reservations: Array<Promise<void>>): Promise<boolean[]> {
  const state = reservations.map(() => false);
  reservations.forEach((reservation, index) => void reservation.then(() => (state[index] = true)));
  await new Promise((resolve) => setImmediate(resolve));
  return state;
}

describe('ByteBudget', () => {
  test('grants what fits at once and the rest as bytes are released', async () => {
    const budget = new ByteBudget(100);
    const reservations = [budget.reserve(60), budget.reserve(40), budget.reserve(30)];
    assert.deepEqual(await granted(reservations), [true, true, false]);
    assert.equal(budget.used, 100);
    budget.release(40);
    assert.deepEqual(await granted(reservations), [true, true, true]);
    assert.equal(budget.used, 90);
  });

  test('something larger than the whole budget waits until nothing else is held, then goes alone', async () => {
    const budget = new ByteBudget(100);
    const reservations = [budget.reserve(50), budget.reserve(500), budget.reserve(10)];
    assert.deepEqual(await granted(reservations), [true, false, false], 'the small one queues behind the large one');
    budget.release(50);
    assert.deepEqual(await granted(reservations), [true, true, false]);
    budget.release(500);
    assert.deepEqual(await granted(reservations), [true, true, true]);
    assert.equal(budget.used, 10);
  });
});
