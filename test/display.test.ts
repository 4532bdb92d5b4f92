import { describe, expect, it } from 'vitest';
import { glxVendorFor } from '../src/node/display.js';

describe('GLX vendor under the private Xvfb', () => {
  const nvidia = { nvidiaDevice: true, nvidiaGlx: true };

  it("asks for NVIDIA's GLX library only where both its device and its library are there", () => {
    expect(glxVendorFor({}, nvidia)).toBe('nvidia');
    // Driver libraries mounted without the GPU (a container without the device) would fail to create a context.
    expect(glxVendorFor({}, { nvidiaDevice: false, nvidiaGlx: true })).toBeUndefined();
    expect(glxVendorFor({}, { nvidiaDevice: true, nvidiaGlx: false })).toBeUndefined();
  });

  it('leaves an explicit choice alone, "mesa" included', () => {
    expect(glxVendorFor({ __GLX_VENDOR_LIBRARY_NAME: 'mesa' }, nvidia)).toBeUndefined();
    expect(glxVendorFor({ __GLX_VENDOR_LIBRARY_NAME: 'nvidia' }, nvidia)).toBeUndefined();
  });
});
