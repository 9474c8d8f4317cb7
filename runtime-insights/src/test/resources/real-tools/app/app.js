const express = require('express');
const app = express();
app.get('/', (req, res) => res.send('ok'));
console.log('ready');
process.stdin.resume();
