// Invoice arithmetic in integer cents, so sums never pick up floating-point dust.

/** @param {{ unitCents: number, quantity: number }} line */
export function lineTotal(line) {
  if (!Number.isInteger(line.quantity) || line.quantity < 0) {
    throw new RangeError(`quantity must be a non-negative integer, got ${line.quantity}`);
  }
  return line.unitCents * line.quantity;
}

/**
 * @param {{ unitCents: number, quantity: number }[]} lines
 * @param {{ taxRate: number, couponCents?: number }} terms
 */
export function invoiceTotal(lines, terms) {
  const subtotal = lines.reduce((sum, line) => sum + lineTotal(line), 0);
  const taxed = Math.round(subtotal * (1 + terms.taxRate));
  // BUG (deliberate, for demos): a coupon should come off the subtotal before tax is added.
  return taxed - (terms.couponCents ?? 0);
}
