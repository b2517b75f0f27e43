// The demo CRM's customers. Numbers are written the way people type them; the library
// normalises them before dialling.
export const customers = [
  { id: 'c-101', name: 'Selina Kyle', company: 'Kyle Imports', phone: '+971 50 123 4567', tier: 'Gold' },
  { id: 'c-102', name: 'Lucius Fox', company: 'Fox Engineering', phone: '+1 (555) 010-0199', tier: 'Platinum' },
  { id: 'c-103', name: 'Harvey Dent', company: 'Dent & Partners', phone: '+44 20 7946 0958', tier: 'Silver' },
  { id: 'c-104', name: 'Pamela Isley', company: 'Isley Botanicals', phone: '+33 1 70 36 39 50', tier: 'Gold' },
  { id: 'c-105', name: 'Oswald Cobblepot', company: 'Iceberg Lounge', phone: '+971 4 555 0123', tier: 'Bronze' },
];

const digits = (s) => String(s || '').replace(/[^\d+]/g, '');

/** The customer whose number matches `number` (formatting ignored), or undefined. */
export function findCustomer(number) {
  const n = digits(number);
  return customers.find((c) => digits(c.phone) === n);
}
