import * as libm from "./src/libm.ts";
const n = 1_000_000; const xs = new Float64Array(n); let s = 1; for (let i=0;i<n;i++){ s = (s*16807)%2147483647; xs[i] = Math.abs((s/2147483647-0.5)*8)+1e-3; }
function time(name: string, f: (x:number)=>number) { let acc=0; for (let i=0;i<1000;i++) f(xs[i]!); const t0=performance.now(); for (let r=0;r<3;r++) for (let i=0;i<n;i++) acc+=f(xs[i]!); const dt=(performance.now()-t0)/3/n*1e6; console.log(name, dt.toFixed(1), "ns", acc>0); }
for (let k=0;k<3;k++){ time("Math.log", Math.log); time("libm.log", libm.log); time("Math.exp", Math.exp); time("libm.exp", libm.exp);}
