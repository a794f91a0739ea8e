import type { ReactElement, CSSProperties } from "react";
import type {
  ThreeDSClient, ThreeDSError, LoadOptions, StartChallengeOptions, ChallengeOptions,
  PresentAuthenticationOptions, ChallengeResult, CRes, PresentAuthenticationResult,
} from "./threeds-web.js";

/** ThreeDS.load's options. */
export type UseThreeDSOptions = LoadOptions;

export interface ThreeDSState {
  /** The loaded client; null while loading, after an error, and after unmount. */
  client: ThreeDSClient | null;
  /** Why loading failed. */
  error: ThreeDSError | null;
  ready: boolean;
}

/** Loads the SDK once for these options; destroys the client on unmount. */
export function useThreeDS(options: UseThreeDSOptions): ThreeDSState;

type Inline<T> = Omit<T, "mode" | "container">;

export interface ThreeDSChallengeProps {
  /** From useThreeDS; nothing starts while it is null. */
  client: ThreeDSClient | null;
  /** `url`: presentAuthentication; `acsURL`: challenge; otherwise startChallenge. */
  options: Inline<StartChallengeOptions> | Inline<ChallengeOptions> | Inline<PresentAuthenticationOptions>;
  onComplete?: (result: ChallengeResult | CRes | PresentAuthenticationResult) => void;
  onError?: (error: ThreeDSError) => void;
  className?: string;
  style?: CSSProperties;
}

/** An inline challenge in its own element; cancelled on unmount. */
export function ThreeDSChallenge(props: ThreeDSChallengeProps): ReactElement;
