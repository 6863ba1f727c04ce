// The serving container of a SageMaker model, and the pull grant that goes with it: each source
// grants its consumer pull on exactly the one repository it names.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { Fn, Stack, Token } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecrAssets from 'aws-cdk-lib/aws-ecr-assets';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { ValidationErrors } from '../core/errors';
import { ECR_IMAGE_URI_EXPECTED, EcrImageLocation, parseEcrImageUri } from './private/uris';

/** What a bound ContainerImage gives the model. */
export interface ContainerImageConfig {
  /** Image URI for `PrimaryContainer.Image`. */
  readonly imageUri: string;
}

/**
 * The serving image of a SageMaker model. It must answer `GET /ping` and `POST /invocations` on port 8080.
 *
 * ```ts
 * ContainerImage.fromEcrRepository(repo, '1.4.2');
 * ContainerImage.fromImageUri('763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-inference:2.3-cpu-py311');
 * ContainerImage.fromAsset('./serving'); // built and pushed by `cdk deploy`, never at synth
 * ```
 */
export abstract class ContainerImage {
  /** An image in an ECR repository you reference by interface; `tag` may also be a `sha256:` digest. */
  static fromEcrRepository(repository: ecr.IRepository, tag = 'latest'): ContainerImage {
    const errors = new ValidationErrors('ContainerImage');
    errors.checkPattern('tag', tag, /^([\w][\w.-]{0,127}|sha256:[a-f0-9]{64})$/, 'an image tag (up to 128 letters, digits, _ . -) or a sha256: digest');
    errors.throwIfAny();
    return new RepositoryImage(repository, tag);
  }

  /**
   * An ECR image by URI: an AWS Deep Learning Container, or an image in another account.
   * Pull is granted on the repository the URI names (the other account's repository policy must
   * also allow it; AWS's DLC repositories do).
   */
  static fromImageUri(uri: string): ContainerImage {
    // A token (a parameter, an SSM value) is parsed at deploy time instead.
    if (typeof uri === 'string' && Token.isUnresolved(uri)) return new TokenUriImage(uri);
    const location = parseEcrImageUri(uri);
    const errors = new ValidationErrors('ContainerImage');
    errors.check(location !== undefined, 'uri', uri, ECR_IMAGE_URI_EXPECTED);
    errors.throwIfAny();
    return new UriImage(uri, location!);
  }

  /**
   * A local directory with a Dockerfile. Synth only fingerprints the directory and records the asset
   * in the cloud assembly; `cdk deploy` (cdk-assets) runs `docker build` and pushes to the bootstrap
   * repository. So synth and tests need no Docker engine, but deploying does.
   */
  static fromAsset(directory: string, options: ecrAssets.DockerImageAssetOptions = {}): ContainerImage {
    const absolute = path.resolve(directory);
    const dockerfile = path.join(absolute, options.file ?? 'Dockerfile');
    const errors = new ValidationErrors('ContainerImage');
    if (errors.check(fs.existsSync(absolute) && fs.statSync(absolute).isDirectory(), 'directory', directory, `an existing directory (resolved to ${absolute})`)) {
      errors.check(fs.existsSync(dockerfile), 'directory', directory, `a directory containing ${options.file ?? 'Dockerfile'}`);
    }
    errors.throwIfAny();
    return new AssetImage(absolute, options);
  }

  /** The image URI, repository or directory, for messages (e.g. the Neuron-image check). */
  abstract readonly description: string;

  /** Returns the image URI and grants `grantee` pull on that image's repository only. */
  abstract bind(scope: Construct, grantee: iam.IGrantable): ContainerImageConfig;
}

/** ecr:GetAuthorizationToken is account-wide: the API has no resource-level permissions, so `*`. */
function grantEcrLogin(grantee: iam.IGrantable): void {
  iam.Grant.addToPrincipal({ grantee, actions: ['ecr:GetAuthorizationToken'], resourceArns: ['*'] });
}

class RepositoryImage extends ContainerImage {
  readonly description: string;

  constructor(private readonly repository: ecr.IRepository, private readonly tag: string) {
    super();
    this.description = `${repository.repositoryName}:${tag}`;
  }

  bind(_scope: Construct, grantee: iam.IGrantable): ContainerImageConfig {
    this.repository.grantPull(grantee);
    return { imageUri: this.repository.repositoryUriForTagOrDigest(this.tag) };
  }
}

class UriImage extends ContainerImage {
  readonly description: string;

  constructor(private readonly uri: string, private readonly location: EcrImageLocation) {
    super();
    this.description = uri;
  }

  bind(scope: Construct, grantee: iam.IGrantable): ContainerImageConfig {
    const repositoryArn = Stack.of(scope).formatArn({
      service: 'ecr',
      account: this.location.account,
      region: this.location.region,
      resource: 'repository',
      resourceName: this.location.repositoryName,
    });
    iam.Grant.addToPrincipal({
      grantee,
      actions: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
      resourceArns: [repositoryArn],
    });
    grantEcrLogin(grantee);
    return { imageUri: this.uri };
  }
}

/**
 * An image URI known at deploy time only (`<account>.dkr.ecr.<region>.amazonaws.com/<repository>[:tag]`):
 * pull is granted on the repositories starting with its first path segment, cut out of the URI by
 * CloudFormation functions.
 */
class TokenUriImage extends ContainerImage {
  readonly description: string;

  constructor(private readonly uri: string) {
    super();
    this.description = 'an image URI given at deploy time';
  }

  bind(scope: Construct, grantee: iam.IGrantable): ContainerImageConfig {
    const host = Fn.split('.', Fn.select(0, Fn.split('/', this.uri)));
    const path = Fn.select(1, Fn.split('/', this.uri));
    const repository = Fn.select(0, Fn.split(':', Fn.select(0, Fn.split('@', path))));
    const repositoryArn = Stack.of(scope).formatArn({
      service: 'ecr',
      account: Fn.select(0, host),
      region: Fn.select(3, host),
      resource: 'repository',
      resourceName: `${repository}*`,
    });
    iam.Grant.addToPrincipal({
      grantee,
      actions: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
      resourceArns: [repositoryArn],
    });
    grantEcrLogin(grantee);
    return { imageUri: this.uri };
  }
}

class AssetImage extends ContainerImage {
  readonly description: string;

  constructor(private readonly directory: string, private readonly options: ecrAssets.DockerImageAssetOptions) {
    super();
    this.description = `the image built from ${directory}`;
  }

  bind(scope: Construct, grantee: iam.IGrantable): ContainerImageConfig {
    const id = `ModelImageAsset${createHash('sha256').update(this.directory).digest('hex').slice(0, 8)}`;
    const asset = (scope.node.tryFindChild(id) as ecrAssets.DockerImageAsset | undefined)
      ?? new ecrAssets.DockerImageAsset(scope, id, { ...this.options, directory: this.directory });
    // All image assets share the bootstrap repository (one tag per image): that repository is the narrowest scope.
    asset.repository.grantPull(grantee);
    return { imageUri: asset.imageUri };
  }
}
