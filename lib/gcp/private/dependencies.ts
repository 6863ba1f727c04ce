// Adds Terraform depends_on edges from every resource and data source under a construct, so a fresh
// project enables its APIs before anything that needs them is created.
import { Construct } from 'constructs';
import { dependable, ITerraformDependable, TerraformDataSource, TerraformResource } from 'cdktf';

export function dependOn(scope: Construct, dependables: readonly ITerraformDependable[]): void {
  if (dependables.length === 0) return;
  for (const child of scope.node.findAll()) {
    if (child instanceof TerraformResource || child instanceof TerraformDataSource) {
      if ((dependables as readonly unknown[]).includes(child)) continue;
      // `dependable()` renders a bare address (`google_project_service.x`), as depends_on requires.
      child.dependsOn = [...(child.dependsOn ?? []), ...dependables.map((d) => dependable(d))];
    }
  }
}
