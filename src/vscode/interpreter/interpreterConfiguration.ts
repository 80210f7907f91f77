/**
 * The code interpreter's settings as VS Code holds them, and a warning when the user picks the
 * local runner on a machine where it cannot run (no bubblewrap, not Linux): the reason the
 * runner gives is shown at once, instead of first surfacing in a failed tool call.
 */
import * as vscode from 'vscode';
import { bundledInterpreterPaths } from '../../engine/interpreter/interpreterPaths.ts';
import { LocalPythonRuntime } from '../../engine/interpreter/local/localPythonRuntime.ts';
import { INTERPRETER_SECTION_ID, INTERPRETER_SETTING_KEYS, resolveInterpreterSettings, type InterpreterSettings } from './interpreterSettings.ts';

export function readInterpreterSettings(): InterpreterSettings {
  const configuration = vscode.workspace.getConfiguration();
  return resolveInterpreterSettings((key) => configuration.get<unknown>(key));
}

export function watchRunnerChoice(distDir: string, log: vscode.LogOutputChannel): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((event) => {
    if (!event.affectsConfiguration(INTERPRETER_SECTION_ID)) return;
    const settings = readInterpreterSettings();
    if (!event.affectsConfiguration(INTERPRETER_SETTING_KEYS.runner) || settings.runner !== 'local' || !settings.enabled) return;
    void new LocalPythonRuntime({ paths: bundledInterpreterPaths(distDir) }).check().then((availability) => {
      if (availability.available) {
        log.info(`Code interpreter: local runner available (Python ${availability.pythonVersion}, under bubblewrap).`);
        return;
      }
      log.warn(`Code interpreter: local runner unavailable: ${availability.reason}`);
      void vscode.window.showWarningMessage(availability.reason, 'Use Pyodide').then((choice) => {
        if (choice) void vscode.workspace.getConfiguration().update(INTERPRETER_SETTING_KEYS.runner, 'pyodide', vscode.ConfigurationTarget.Global);
      });
    });
  });
}
