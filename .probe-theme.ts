import { startCodeServer, launchWorkbench, packagedVsix, sampleWorkspace } from '/work/main/test/e2e/support/codeServer.ts';
const server = await startCodeServer({ name: 'probe', vsix: packagedVsix });
const wb = await launchWorkbench(server, { folder: sampleWorkspace });
const cls = () => wb.page.evaluate(() => [document.querySelector('.monaco-workbench')?.className, document.body.className, document.documentElement.className]);
console.log(await cls());
server.writeSettings({ ...server.readSettings(), 'workbench.colorTheme': 'Default Light Modern' });
await new Promise(r => setTimeout(r, 5000));
console.log(await cls());
await wb.close(); await server.stop();
