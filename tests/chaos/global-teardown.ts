import { publishResults } from './results';

export default function globalTeardown(): void {
  publishResults();
}
