import { test } from 'node:test';
import assert from 'node:assert/strict';
import { locateInBody, scanHcl } from '../../../src/template/hcl-scanner.js';

const SOURCE = `# a comment with build { inside
variable "x" {
  default = "}" // brace in a string
}
/* block comment
provisioner "ghost" {}
*/
build {
  sources = [
    "source.null.a",
  ]
  provisioner "shell" { inline = ["echo \${ "}" }"] }
  provisioner file {
    content = <<EOT
provisioner "not-a-block" {
}
EOT
    destination = "/tmp/x"
  }
  post-processors {
    post-processor "manifest" {}
  }
  dynamic "provisioner" {
    for_each = { a = 1 }
    labels   = ["shell"]
    content {
      inline = ["x"]
    }
  }
}
`;

test('records block headers with labels, positions and nesting, skipping comments, strings and heredocs', () => {
  const body = scanHcl('m.pkr.hcl', SOURCE);
  assert.deepEqual(body.blocks.map((b) => [b.type, b.labels, b.pos.line, b.pos.column]), [
    ['variable', ['x'], 2, 1],
    ['build', [], 8, 1],
  ]);
  const build = body.blocks[1]!.body;
  assert.deepEqual(build.attributes.map((a) => [a.name, a.pos.line]), [['sources', 9]]);
  assert.deepEqual(build.blocks.map((b) => [b.type, b.labels, b.pos.line]), [
    ['provisioner', ['shell'], 12],
    ['provisioner', ['file'], 13],
    ['post-processors', [], 20],
    ['dynamic', ['provisioner'], 23],
  ]);
  assert.deepEqual(build.blocks[1]!.body.attributes.map((a) => [a.name, a.pos.line, a.pos.column]), [['content', 14, 5], ['destination', 18, 5]]);
});

test('locates hcl2json key paths: attributes, labelled blocks with index, nested blocks', () => {
  const body = scanHcl('m.pkr.hcl', SOURCE);
  assert.deepEqual(locateInBody(body, ['variable', 'x', 0, 'default']), { file: 'm.pkr.hcl', line: 3, column: 3 });
  assert.equal(locateInBody(body, ['build', 0, 'provisioner', 'file', 0, 'destination'])?.line, 18);
  assert.equal(locateInBody(body, ['build', 0, 'post-processors', 0, 'post-processor', 'manifest', 0])?.line, 21);
  assert.equal(locateInBody(body, ['build', 0, 'dynamic', 'provisioner', 0, 'content', 0, 'inline'])?.line, 27);
  // An unknown attribute below a known block falls back to the block.
  assert.equal(locateInBody(body, ['build', 0, 'provisioner', 'shell', 0, 'nope'])?.line, 12);
  assert.equal(locateInBody(body, ['nothing']), undefined);
});
