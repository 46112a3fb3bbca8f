// Runs the npm package perspective-api-client against Parley. The package hard-codes Google's
// URL, so the only change is the one a site makes when it switches: the host in that URL.
'use strict';
const path = require('path');
const Perspective = require('perspective-api-client');
const axios = require(require.resolve('axios', {paths: [path.dirname(require.resolve('perspective-api-client'))]}));

const [parleyUrl, apiKey, text] = process.argv.slice(2);
axios.interceptors.request.use(config => {
  config.url = config.url.replace('https://commentanalyzer.googleapis.com', parleyUrl);
  return config;
});
new Perspective({apiKey})
  .analyze(text, {attributes: ['toxicity', 'insult', 'identity_attack']})
  .then(result => console.log(JSON.stringify({ok: result})))
  .catch(error => console.log(JSON.stringify({error: error.message, status: error.response && error.response.status})));
