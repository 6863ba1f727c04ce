import { TerraformVariable, Testing, TerraformStack, Token } from 'cdktf';
import { ValidationErrors } from '../../../lib/core';
import { checkFlexInstanceMemory } from '../../../lib/azure/private/flex-function';

describe('checkFlexInstanceMemory', () => {
  const check = (value: number | undefined) => {
    const errors = new ValidationErrors('DriftFunction');
    checkFlexInstanceMemory(errors, value);
    return () => errors.throwIfAny();
  };

  it('accepts the Flex Consumption sizes and no value', () => {
    for (const mb of [undefined, 512, 2048, 4096]) expect(check(mb)).not.toThrow();
  });

  it('refuses another size, naming the property, the value and the sizes', () => {
    expect(check(1024)).toThrow(/instanceMemoryInMb: got 1024; expected one of 512, 2048, 4096/);
  });

  it('leaves a Terraform number to Azure', () => {
    const stack = new TerraformStack(Testing.app(), 's');
    const memory = new TerraformVariable(stack, 'memory', { type: 'number' });
    expect(check(Token.asNumber(memory.value))).not.toThrow();
  });
});
