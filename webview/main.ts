// The chat panel's entry point.
document.body.dataset['threadwork'] = 'loading';
