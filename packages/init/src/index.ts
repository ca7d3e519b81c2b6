// @hone/init: the public surface.
export type { Fans } from "./fans.js";
export { computeFans } from "./fans.js";
export type {
  Distribution, FanMode, GainActivation, InitContext, Initializer, OrthogonalOptions, RandomNormalOptions,
  RandomUniformOptions, VarianceScalingOptions,
} from "./initializers.js";
export {
  constant, zeros, ones, randomNormal, randomUniform, varianceScaling, heNormal, heUniform, lecunNormal, lecunUniform,
  xavierNormal, xavierUniform, orthogonal, gain,
} from "./initializers.js";
