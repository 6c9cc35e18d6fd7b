/**
 * @hyrelog/webhooks — the dependency-free core of webhook delivery: Standard Webhooks signatures,
 * the SSRF address policy, one delivery attempt over HTTP(S),
 * and the retry schedule. No I/O happens at import time.
 */
export {
  DEFAULT_TOLERANCE_SECONDS,
  WEBHOOK_SECRET_PREFIX,
  generateWebhookSecret,
  isWebhookSecret,
  signPayload,
  verifyWebhook,
} from "./signing.ts";
export type {
  HeaderSource,
  SignPayloadInput,
  VerifyWebhookOptions,
  WebhookSignatureHeaders,
  WebhookVerifyFailure,
  WebhookVerifyResult,
} from "./signing.ts";
export {
  WebhookUrlError,
  checkWebhookUrl,
  classifyAddress,
  embeddedIPv4,
  isAllowedAddressClass,
  resolveAndCheck,
  systemResolver,
  validateWebhookUrl,
} from "./ssrf.ts";
export type {
  AddressClass,
  AddressPolicyOptions,
  BlockedAddressClass,
  HostResolver,
  ResolveOptions,
  ResolvedAddress,
  WebhookUrlErrorCode,
} from "./ssrf.ts";
export { DEFAULT_DELIVERY_TIMEOUT_MS, deliverOnce, parseRetryAfter } from "./deliver.ts";
export type { DeliverOnceOptions, DeliveryResult } from "./deliver.ts";
export { MAX_DELIVERY_ATTEMPTS, MAX_RETRY_AFTER_MS, RETRY_DELAYS_MS, nextAttemptAt } from "./schedule.ts";
export type { NextAttemptOptions } from "./schedule.ts";
