// Demo accounts loaded by the server in demo mode (see the README).
export const PASSWORD = 'Demo@2026';

// 身份证号 of demo student i, computed like the seed (area, birth date, sequence, check digit).
export function studentId(i: number): string {
  const area = ['420106', '420111', '420502', '420602'][i % 4];
  const pad = (n: number, w: number) => String(n).padStart(w, '0');
  const first17 = `${area}2004${pad(1 + (i % 12), 2)}${pad(1 + (i % 28), 2)}${pad(100 + i, 3)}`;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const c = '10X98765432';
  const sum = [...first17].reduce((s, d, k) => s + Number(d) * w[k], 0);
  return first17 + c[sum % 11];
}
