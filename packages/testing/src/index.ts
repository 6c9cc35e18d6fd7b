export { TestStack } from "./stack.ts";
export type { ApiResponse, RegionHandle, StackOptions } from "./stack.ts";
