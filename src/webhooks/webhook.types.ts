/** An operator's HTTP endpoint told of alerts (issue 9). The secret is never shown after creation. */
export interface Webhook {
  id: number;
  url: string;
  /** Alert kinds delivered; null = every kind. */
  kinds: string[] | null;
  enabled: boolean;
  description: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export type DeliveryStatus = 'PENDING' | 'SENDING' | 'DELIVERED' | 'FAILED';

/** One event to one webhook, with its attempts: the delivery log. */
export interface WebhookDelivery {
  id: number;
  webhookId: number;
  event: string;
  alertId: number | null;
  body: unknown;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: Date;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: Date;
  deliveredAt: Date | null;
}

export interface WebhookInput {
  url: string;
  secret?: string;
  kinds?: string[] | null;
  enabled?: boolean;
  description?: string | null;
}
