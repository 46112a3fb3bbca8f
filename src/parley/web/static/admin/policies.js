// The policy form: the cooldown field only while the derailment step is "slow". Without this
// file the field is always shown; hidden, it is still sent, so saving keeps its value. A
// cooldown the server refused stays in view.
const step = document.querySelector('[data-derailment]');
const cooldown = document.querySelector('[data-cooldown]');

function showCooldown() {
  const refused = cooldown.querySelector('[aria-invalid="true"]') !== null;
  cooldown.hidden = step.value !== 'slow' && !refused;
}

if (step && cooldown) {
  step.addEventListener('change', showCooldown);
  showCooldown();
}
