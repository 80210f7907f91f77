/**
 * The theme variables VS Code injects into a webview, for the two themes the tests draw in. The
 * values are those of VS Code's Default Dark Modern and Default Light Modern themes (the subset the
 * panel uses); the panel's own stylesheet only ever refers to the variable names.
 */
export type ThemeName = 'dark' | 'light';

const common = {
  'font-family': 'system-ui, -apple-system, "Segoe UI", Ubuntu, sans-serif',
  'font-size': '13px',
  'editor-font-family': '"Droid Sans Mono", monospace',
  'editor-font-size': '13px',
};

const dark = {
  ...common,
  foreground: '#cccccc', 'sideBar-background': '#181818', 'editor-background': '#1f1f1f', descriptionForeground: '#9d9d9d',
  focusBorder: '#0078d4', 'input-background': '#313131', 'input-foreground': '#cccccc', 'input-border': '#3c3c3c',
  'input-placeholderForeground': '#989898', 'textLink-foreground': '#4daafc', 'textLink-activeForeground': '#4daafc',
  'textCodeBlock-background': '#2b2b2b', 'widget-border': '#313131', 'panel-border': '#2b2b2b', errorForeground: '#f85149',
  'inputValidation-errorBackground': '#5a1d1d', 'inputValidation-errorBorder': '#be1100', 'list-hoverBackground': '#2a2d2e',
  'list-inactiveSelectionBackground': '#37373d', 'button-background': '#0078d4', 'button-foreground': '#ffffff',
  'button-hoverBackground': '#026ec1', 'button-secondaryBackground': '#313131', 'button-secondaryForeground': '#cccccc',
  'editorWidget-background': '#202020', 'sideBarSectionHeader-border': '#2b2b2b', 'debugTokenExpression-boolean': '#4e94ce',
  'debugTokenExpression-string': '#ce9178', 'debugTokenExpression-number': '#b5cea8', 'debugTokenExpression-name': '#c586c0',
  'symbolIcon-variableForeground': '#75beff', 'diffEditor-insertedLineBackground': '#9bb95533', 'diffEditor-removedLineBackground': '#ff000033',
  'dropdown-background': '#313131', 'dropdown-border': '#3c3c3c', 'dropdown-foreground': '#cccccc', 'icon-foreground': '#cccccc',
  'toolbar-hoverBackground': '#5a5d5e50', 'editorCursor-foreground': '#aeafad', 'progressBar-background': '#0078d4',
};

const light = {
  ...common,
  foreground: '#3b3b3b', 'sideBar-background': '#f8f8f8', 'editor-background': '#ffffff', descriptionForeground: '#3b3b3b',
  focusBorder: '#005fb8', 'input-background': '#ffffff', 'input-foreground': '#3b3b3b', 'input-border': '#cecece',
  'input-placeholderForeground': '#767676', 'textLink-foreground': '#005fb8', 'textLink-activeForeground': '#005fb8',
  'textCodeBlock-background': '#f8f8f8', 'widget-border': '#e5e5e5', 'panel-border': '#e5e5e5', errorForeground: '#f85149',
  'inputValidation-errorBackground': '#f2dede', 'inputValidation-errorBorder': '#be1100', 'list-hoverBackground': '#f2f2f2',
  'list-inactiveSelectionBackground': '#e4e6f1', 'button-background': '#005fb8', 'button-foreground': '#ffffff',
  'button-hoverBackground': '#0258a8', 'button-secondaryBackground': '#e5e5e5', 'button-secondaryForeground': '#3b3b3b',
  'editorWidget-background': '#f8f8f8', 'sideBarSectionHeader-border': '#e5e5e5', 'debugTokenExpression-boolean': '#0000ff',
  'debugTokenExpression-string': '#a31515', 'debugTokenExpression-number': '#098658', 'debugTokenExpression-name': '#9b46b0',
  'symbolIcon-variableForeground': '#007acc', 'diffEditor-insertedLineBackground': '#9bb95533', 'diffEditor-removedLineBackground': '#ff000033',
  'dropdown-background': '#ffffff', 'dropdown-border': '#cecece', 'dropdown-foreground': '#3b3b3b', 'icon-foreground': '#3b3b3b',
  'toolbar-hoverBackground': '#b8b8b850', 'editorCursor-foreground': '#000000', 'progressBar-background': '#005fb8',
};

/** The stylesheet a test page serves in place of VS Code's injected variables. */
export function themeCss(theme: ThemeName): string {
  const values = theme === 'dark' ? dark : light;
  return `:root {\n${Object.entries(values).map(([name, value]) => `  --vscode-${name}: ${value};`).join('\n')}\n}\n`;
}

export function themeBodyClass(theme: ThemeName): string {
  return theme === 'dark' ? 'vscode-dark' : 'vscode-light';
}
