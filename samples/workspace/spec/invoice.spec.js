import { test } from 'node:test';
import assert from 'node:assert/strict';
import { invoiceTotal, lineTotal } from '../src/invoice.js';
import { formatMoney } from '../src/format.js';

test('a line total is unit price times quantity', () => {
  assert.equal(lineTotal({ unitCents: 250, quantity: 4 }), 1000);
});

test('a negative quantity is refused', () => {
  assert.throws(() => lineTotal({ unitCents: 250, quantity: -1 }), RangeError);
});

test('tax is added to the subtotal', () => {
  assert.equal(invoiceTotal([{ unitCents: 1000, quantity: 2 }], { taxRate: 0.1 }), 2200);
});

// Fails until the coupon comes off before tax: (2000 - 500) * 1.25 = 1875, while the code gives 2000.
test('a coupon comes off the subtotal before tax', () => {
  assert.equal(invoiceTotal([{ unitCents: 1000, quantity: 2 }], { taxRate: 0.25, couponCents: 500 }), 1875);
});

test('money is formatted with a currency sign and two decimals', () => {
  assert.equal(formatMoney(123456), '$1,234.56');
});
