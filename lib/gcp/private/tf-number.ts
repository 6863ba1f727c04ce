// A number written into a string (an environment value, a log filter): a Terraform number token stays a reference.
import { Token } from 'cdktf';

export function tfNumber(value: number): string {
  return Token.isUnresolved(value) ? Token.asString(value) : String(value);
}
