// The service accounts the constructs run as: one each construct creates (no project roles), or one a platform team
// already manages, imported by email. Either way the constructs add only resource-level grants to it.
import { ValidationErrors } from '../core';

/** A service account that runs a workload or calls one. */
export interface IServiceIdentity {
  /** `<name>@<project>.iam.gserviceaccount.com` */
  readonly email: string;
  /** `serviceAccount:<email>`, the principal IAM bindings name. */
  readonly member: string;
}

/** Service account emails: user-managed (`*.iam.gserviceaccount.com`) or Google-created defaults (`*.gserviceaccount.com`). */
export const SERVICE_ACCOUNT_EMAIL = /^[a-z0-9][a-z0-9-]{0,62}@[a-z0-9][a-z0-9.-]*\.gserviceaccount\.com$/;

/** Imports of service accounts that exist outside the stack. */
export class ServiceIdentity {
  /**
   * An existing service account, e.g. one your platform team created with the roles your organization requires.
   * Constructs given it create no account and grant it only what they grant their own (bucket folders, `run.invoker`
   * on one service); the deploying principal needs `iam.serviceAccounts.actAs` on it. A Terraform reference is accepted.
   */
  static fromEmail(email: string): IServiceIdentity {
    const errors = new ValidationErrors('ServiceIdentity');
    errors.checkPattern('fromEmail(email)', email, SERVICE_ACCOUNT_EMAIL, 'a service account email such as "churn-serving@my-project.iam.gserviceaccount.com"');
    errors.throwIfAny();
    return { email, member: `serviceAccount:${email}` };
  }

  private constructor() {}
}
