/** The real openai and @anthropic-ai/sdk clients, pointed at a FakeProvider on loopback. */
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterAll, beforeAll } from "vitest";
import { FakeProvider } from "./fake-provider.js";

export interface SdkClients {
  readonly provider: FakeProvider;
  /** The server's address, for clients made in the test (the AI SDK's providers). */
  baseURL: string;
  openai: OpenAI;
  anthropic: Anthropic;
}

/** Starts the server before the file's tests and stops it after; the SDKs' own retries are off. */
export function useSdkClients(): SdkClients {
  const clients = { provider: new FakeProvider() } as SdkClients;
  beforeAll(async () => {
    const base = await clients.provider.start();
    clients.baseURL = base;
    clients.openai = new OpenAI({ apiKey: "test", baseURL: `${base}/v1`, maxRetries: 0 });
    clients.anthropic = new Anthropic({ apiKey: "test", baseURL: base, maxRetries: 0 });
  });
  afterAll(() => clients.provider.stop());
  return clients;
}
