// Formats integer cents for people: 123456 -> "$1,234.56".

/** @param {number} cents @param {string} [currency] */
export function formatMoney(cents, currency = 'USD') {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(cents / 100);
}
