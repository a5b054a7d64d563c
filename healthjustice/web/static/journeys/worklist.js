// The worklist refreshes itself every minute (htmx polling). Skip a refresh while someone is
// using a control inside the list, so a select they have open is not replaced under them.
document.body.addEventListener('htmx:beforeRequest', (event) => {
  const results = document.getElementById('worklist-results')
  if (!results || event.detail.elt !== results) return
  const polling = !event.detail.requestConfig || !event.detail.requestConfig.triggeringEvent
  const active = document.activeElement
  if (polling && active && active !== document.body && results.contains(active)) {
    event.preventDefault()
  }
})

// After a take or assign, put focus on the message so screen-reader and keyboard users hear it.
document.body.addEventListener('htmx:afterSwap', (event) => {
  if (event.detail.target && event.detail.target.id === 'worklist-status') {
    const message = event.detail.target.firstElementChild
    if (message) {
      message.setAttribute('tabindex', '-1')
      message.focus()
    }
  }
})
