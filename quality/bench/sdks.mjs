// The SDKs under test, loaded only when their build exists, so the harness runs before they are done.
export async function loadOptional(name) {
  try {
    return await import(name);
  } catch (error) {
    if (error?.code === "ERR_MODULE_NOT_FOUND" || error?.code === "ERR_PACKAGE_PATH_NOT_EXPORTED") {
      console.warn(`(skipping ${name}: not built)`);
      return undefined;
    }
    throw error;
  }
}
