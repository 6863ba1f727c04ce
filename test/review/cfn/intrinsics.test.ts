// Rendering CloudFormation intrinsics as readable strings for the review tables.
import { LogicalIdNamer, renderCfn } from '../../../lib/review/cfn/intrinsics';

const namer = new LogicalIdNamer(['Bucket83908E77', 'KeyA1B2C3D4', 'KeyE5F6A7B8', 'Topic']);

describe('renderCfn', () => {
  it('drops the hash suffix of unique logical ids and keeps ambiguous ones whole', () => {
    expect(renderCfn({ 'Fn::GetAtt': ['Bucket83908E77', 'Arn'] }, namer)).toBe('${Bucket.Arn}');
    expect(renderCfn({ Ref: 'KeyA1B2C3D4' }, namer)).toBe('${KeyA1B2C3D4}');
    expect(renderCfn({ Ref: 'AWS::Partition' }, namer)).toBe('${AWS::Partition}');
  });

  it('joins Fn::Join parts and substitutes Fn::Sub variables', () => {
    expect(renderCfn({ 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Bucket83908E77', 'Arn'] }, '/incoming/*']] }, namer)).toBe('${Bucket.Arn}/incoming/*');
    expect(renderCfn({ 'Fn::Sub': ['arn:${AWS::Partition}:sns:${AWS::Region}:${AWS::AccountId}:${Name}', { Name: { Ref: 'Topic' } }] }, namer)).toBe('arn:${AWS::Partition}:sns:${AWS::Region}:${AWS::AccountId}:${Topic}');
  });

  it('falls back to compact JSON for intrinsics it does not know', () => {
    expect(renderCfn({ 'Fn::Base64': 'x' }, namer)).toBe('{"Fn::Base64":"x"}');
  });
});
