// Reads the page through the accessibility tree (Chrome DevTools Protocol), which is what a
// screen reader sees. It reaches into closed shadow roots, where Impartial's card and dialogs
// live, without the extension exposing anything to the page.

const sessions = new WeakMap();

async function cdp(page) {
  let session = sessions.get(page);
  if (!session) {
    session = await page.context().newCDPSession(page);
    await session.send('Accessibility.enable');
    await session.send('DOM.enable');
    sessions.set(page, session);
  }
  return session;
}

/** Every named node of the full accessibility tree: { role, name, backendDOMNodeId, focused }. */
export async function axNodes(page) {
  const session = await cdp(page);
  const { nodes } = await session.send('Accessibility.getFullAXTree');
  return nodes
    .filter((n) => !n.ignored)
    .map((n) => ({
      role: n.role?.value,
      name: n.name?.value ?? '',
      description: n.description?.value ?? '',
      backendDOMNodeId: n.backendDOMNodeId,
      focused: n.properties?.some((p) => p.name === 'focused' && p.value.value) ?? false,
    }));
}

/** Waits for a node with `role` whose name matches `name` (string: exact; RegExp: test). */
export async function waitForAx(page, role, name, { timeout = 5000, gone = false } = {}) {
  const deadline = Date.now() + timeout;
  const matches = (n) => n.role === role && (name instanceof RegExp ? name.test(n.name) : n.name === name);
  let seen = [];
  while (Date.now() < deadline) {
    seen = await axNodes(page);
    const hit = seen.find(matches);
    if (gone ? !hit : hit) return hit;
    await page.waitForTimeout(30);
  }
  const roles = seen.filter((n) => n.role === role).map((n) => n.name);
  throw new Error(`${gone ? 'still present' : 'not found'}: ${role} ${name} (seen ${role}s: ${JSON.stringify(roles)})`);
}

/** Clicks the centre of an accessibility node like a person with a mouse. */
export async function clickAx(page, node) {
  const session = await cdp(page);
  const { quads } = await session.send('DOM.getContentQuads', { backendNodeId: node.backendDOMNodeId });
  const q = quads[0];
  const x = (q[0] + q[2] + q[4] + q[6]) / 4;
  const y = (q[1] + q[3] + q[5] + q[7]) / 4;
  await page.mouse.click(x, y);
}

/** The text content of the DOM node behind an accessibility node. */
export async function axText(page, node) {
  const session = await cdp(page);
  const { object } = await session.send('DOM.resolveNode', { backendNodeId: node.backendDOMNodeId });
  const { result } = await session.send('Runtime.callFunctionOn', {
    objectId: object.objectId, functionDeclaration: 'function () { return this.textContent; }', returnByValue: true,
  });
  return result.value;
}
