// Reading JSON carried in Terraform string attributes: plain JSON text and whole-string `${jsonencode(...)}`.
import { embeddedJson, embeddedObject } from '../../../lib/review/tf/embedded-json';

describe('embeddedJson', () => {
  it('parses plain JSON text and keeps references inside strings as written', () => {
    expect(embeddedJson('{"app":{"value":"${azurerm_container_app.serving.name}"}}')).toEqual({ app: { value: '${azurerm_container_app.serving.name}' } });
  });

  it('reads a jsonencode argument: literals decoded, other expressions kept in ${} form', () => {
    const text = '${jsonencode({"name" = {"value" = azurerm_container_app.serving.name}, ids = {"value" = [azurerm_user_assigned_identity.a.client_id, "literal"]}, '
      + 'n = 3, on = true, none = null, hash = {"value" = filemd5("assets/a, b/archive.zip")}, greeting = "hi ${var.x}"})}';
    expect(embeddedJson(text)).toEqual({
      name: { value: '${azurerm_container_app.serving.name}' },
      ids: { value: ['${azurerm_user_assigned_identity.a.client_id}', 'literal'] },
      n: 3,
      on: true,
      none: null,
      hash: { value: '${filemd5("assets/a, b/archive.zip")}' },
      greeting: 'hi ${var.x}',
    });
  });

  it('reads multi-line jsonencode objects with colons and comments', () => {
    expect(embeddedObject('${jsonencode({\n  # the app\n  app: azurerm_container_app.serving.id\n  list = [\n    1,\n    2,\n  ]\n})}')).toEqual({ app: '${azurerm_container_app.serving.id}', list: [1, 2] });
  });

  it('returns undefined for what cannot be read statically, and objects as they are', () => {
    expect(embeddedJson('${file("template.json")}')).toBeUndefined();
    expect(embeddedJson('${jsonencode({"a" = (1, }')).toBeUndefined();
    expect(embeddedObject('[1]')).toBeUndefined();
    expect(embeddedJson({ properties: {} })).toEqual({ properties: {} });
  });
});
