// The OpenTelemetry recipe of the README, exactly: a span per call, an event per attempt, standard
// attributes. @core/http has no OpenTelemetry dependency: this is the user's code, on its hooks.
import { type Span, SpanKind, SpanStatusCode, type Tracer } from "@opentelemetry/api";
import type { CallContext, HookContext, Hooks } from "../../src/index.js";

/** The URL with every query value replaced (a query may carry a credential). */
function redactQuery(url: string): string {
  const parsed = new URL(url);
  for (const key of new Set(parsed.searchParams.keys())) parsed.searchParams.set(key, "REDACTED");
  return parsed.href;
}

export function tracingHooks(tracer: Tracer): Hooks {
  const spans = new WeakMap<CallContext, Span>();
  const attempt = (ctx: HookContext, attributes: Record<string, string | number>) =>
    spans.get(ctx.call)?.addEvent("http.attempt", { "http.attempt": ctx.attempt, ...attributes });
  return {
    beforeCall(call) {
      const span = tracer.startSpan(call.operation, {
        kind: SpanKind.CLIENT,
        attributes: { "http.request.method": call.method, "url.full": call.url },
      });
      spans.set(call, span);
    },
    beforeRequest(ctx, request) {
      spans.get(ctx.call)?.setAttribute("url.full", redactQuery(request.url));
    },
    afterSuccess(ctx, response) {
      attempt(ctx, { "http.response.status_code": response.status });
    },
    afterError(ctx, response, error) {
      attempt(
        ctx,
        response ? { "http.response.status_code": response.status } : { "error.type": (error as Error).name },
      );
    },
    afterCall(call, { attempts, response, error }) {
      const span = spans.get(call);
      if (!span) return;
      span.setAttribute("http.request.resend_count", attempts - 1);
      if (response) span.setAttribute("http.response.status_code", response.status);
      if (error) {
        span.setAttribute("error.type", (error as Error).name);
        span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      }
      span.end();
    },
  };
}
