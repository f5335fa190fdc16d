// Firefox ESR with the built extension (dist/firefox) as a temporary add-on, driven by
// selenium-webdriver + geckodriver. Playwright's Firefox needs its own patched build, so it
// cannot drive Debian's ESR (platform.md §9).
import { Builder, Browser } from 'selenium-webdriver';
import { Command } from 'selenium-webdriver/lib/command.js';
import firefox from 'selenium-webdriver/firefox.js';
import os from 'node:os';
import path from 'node:path';
import { buildFixtures } from '../build-fixtures.mjs';
import { startProxy } from './proxy.mjs';
import { startServer } from './server.mjs';
import { ROOT } from './browser.mjs';

const FIREFOX = process.env.FIREFOX ?? '/usr/lib/firefox-esr/firefox-esr';
const GECKODRIVER = process.env.GECKODRIVER
  ?? path.join(process.env.IMPARTIAL_TOOLS ?? path.join(os.homedir(), '.cache/impartial/tools'), 'bin/geckodriver');

/**
 * Starts Firefox with the extension; HTTPS goes through a loopback proxy to the fixture
 * server, or to `upstream` ({ port, allowHost }) when given. `prefs` adds preferences.
 * Returns { driver, server, proxy, close }.
 */
export async function launchFirefox({ extension = path.join(ROOT, 'dist/firefox'), upstream, prefs = {} } = {}) {
  let server;
  if (!upstream) {
    await buildFixtures();
    server = await startServer();
  }
  const proxy = await startProxy(upstream ? { serverPort: upstream.port, allowHost: upstream.allowHost } : { serverPort: server.port });
  const options = new firefox.Options()
    .addArguments('-headless')
    .setBinary(FIREFOX)
    .setAcceptInsecureCerts(true)
    .setPreference('network.proxy.type', 1)
    .setPreference('network.proxy.ssl', '127.0.0.1')
    .setPreference('network.proxy.ssl_port', proxy.port)
    .setPreference('network.proxy.http', '127.0.0.1')
    .setPreference('network.proxy.http_port', proxy.port)
    .setPreference('network.proxy.no_proxies_on', '')
    .setPreference('network.proxy.allow_hijacking_localhost', true)
    // Quiet profile: no update checks, telemetry or remote settings from the browser itself.
    .setPreference('app.update.enabled', false)
    .setPreference('datareporting.policy.dataSubmissionEnabled', false)
    .setPreference('toolkit.telemetry.enabled', false)
    .setPreference('extensions.getAddons.cache.enabled', false)
    .setPreference('browser.shell.checkDefaultBrowser', false);
  for (const [name, value] of Object.entries(prefs)) options.setPreference(name, value);
  const driver = await new Builder()
    .forBrowser(Browser.FIREFOX)
    .setFirefoxOptions(options)
    .setFirefoxService(new firefox.ServiceBuilder(GECKODRIVER).setStdio(process.env.FIREFOX_LOG ? ['ignore', 'inherit', 'inherit'] : 'ignore'))
    .build();
  // Installed from its folder by path: selenium's installAddon zips it and sends the bytes,
  // and with geckodriver 0.37 Firefox then failed to load content.js from that package
  // ("IPDL protocol Error: Received an invalid file descriptor"), so no page was checked.
  if (extension) await driver.execute(new Command('install addon').setParameter('path', extension).setParameter('temporary', true));
  return {
    driver, server, proxy,
    async close() {
      await driver.quit();
      await proxy.close();
      await server?.close();
    },
  };
}
