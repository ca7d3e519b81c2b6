// One class across copies of the package. When an application ends up with two copies of
// @hone/tensor (another package pinned a different version, a bundler split it), a tensor made
// by one copy must still be a `Tensor` to the other, or every `instanceof` check in the other
// packages refuses it ("x must be a Tensor, got Tensor[1,2]"). Each branded class marks its
// prototype with a global symbol (`Symbol.for`, shared by every copy in the realm) and answers
// `instanceof` by that mark; classes derived from it without a brand of their own keep the
// ordinary prototype-chain test.

/** The global symbol a branded class marks its instances with: `Symbol.for("@hone/tensor:" + name)`. */
export function brandOf(name: string): symbol {
  return Symbol.for(`@hone/tensor:${name}`);
}

const OWN_BRAND: unique symbol = Symbol("brand");
type Branded = { [OWN_BRAND]?: symbol; prototype: object };

/**
 * Brands `cls` as `name`: `x instanceof cls` holds for instances of this class from any copy of
 * the package (and of classes derived from it). Call it once per class, after its definition.
 */
export function brand(cls: abstract new (...args: never[]) => unknown, name: string): void {
  const key = brandOf(name);
  const c = cls as unknown as Branded;
  Object.defineProperty(c.prototype, key, { value: true, enumerable: false });
  Object.defineProperty(c, OWN_BRAND, { value: key, enumerable: false });
  Object.defineProperty(c, Symbol.hasInstance, {
    value(this: Branded, x: unknown): boolean {
      const own = Object.prototype.hasOwnProperty.call(this, OWN_BRAND) ? this[OWN_BRAND] : undefined;
      // A subclass without its own brand: the ordinary prototype-chain test.
      if (own === undefined) return Function.prototype[Symbol.hasInstance].call(this, x);
      return (typeof x === "object" || typeof x === "function") && x !== null && (x as Record<symbol, unknown>)[own] === true;
    },
  });
}

/** Whether `x` is a tensor from any copy of @hone/tensor (the same test as `x instanceof Tensor`). */
export function hasBrand(x: unknown, name: string): boolean {
  return typeof x === "object" && x !== null && (x as Record<symbol, unknown>)[brandOf(name)] === true;
}
