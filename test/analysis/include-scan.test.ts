import { describe, expect, test } from 'vitest';
import { isDictionaryLibraryPath, isHeaderPath, scanIncludes, scanRootmapHeaders, scanRootmapLibraries } from '../../src/analysis/include-scan.js';

const refs = (text: string) => scanIncludes(Buffer.from(text, 'latin1')).map((r) => `${r.angle ? '<' : '"'}${r.name}`);

describe('scanIncludes', () => {
  test('reads quoted and angle includes, with the blanks C allows around the #', () => {
    const text = [
      '#include "art/Framework/Core/EDProducer.h"',
      '#include <vector>',
      '  #  include   "cetlib/exception.h"',
      '\t#include\t<boost/any.hpp>',
      '#include_next <stdlib.h>',
      '#include"tight.h"',
    ].join('\n');
    expect(refs(text)).toEqual(['"art/Framework/Core/EDProducer.h', '<vector', '"cetlib/exception.h', '<boost/any.hpp', '<stdlib.h', '"tight.h']);
  });

  test('ignores what is not a directive: mid-line text, other words, broken or empty names, macros', () => {
    const text = [
      'int x; #include "not-first.h"',
      '// the file to #include "comment.h" is…',
      '#includes "plural.h"',
      '#include "unterminated.h',
      '#include <also-unterminated.h',
      '#include ""',
      '#include HEADER_MACRO',
      '#define include "x.h"',
      'std::string include = "x";',
    ].join('\n');
    expect(refs(text)).toEqual([]);
  });

  test('handles CRLF line ends, a directive on the first or last line, and one split across lines', () => {
    expect(refs('#include "a.h"\r\n#include <b.h>\r\n')).toEqual(['"a.h', '<b.h']);
    expect(refs('#include "last.h"')).toEqual(['"last.h']);
    expect(refs('#include "split\n.h"')).toEqual([]);
  });

  test('keeps directives inside #if 0 or block comments (over-keeping is safe, under-keeping is not)', () => {
    expect(refs('#if 0\n#include "old.h"\n#endif\n/*\n#include "commented.h"\n*/\n')).toEqual(['"old.h', '"commented.h']);
  });
});

describe('scanRootmapHeaders', () => {
  test('reads the header lines rootcling writes after the class list', () => {
    const rootmap = [
      '{ decls }',
      'namespace art{class Wrapper;}',
      '',
      '[ libcanvas_Persistency_Common_dict.so ]',
      '# List of selected classes',
      'class art::EDProduct',
      'class art::RefCore',
      'header canvas/Persistency/Common/EDProduct.h',
      'header canvas/Persistency/Common/RefCore.h',
      '# List of selected typedefs and outer classes',
      'typedef art::RefCore::RefCoreTransients',
      'headers are not a keyword',
    ].join('\n');
    expect(scanRootmapHeaders(Buffer.from(rootmap)).map((r) => r.name)).toEqual(['canvas/Persistency/Common/EDProduct.h', 'canvas/Persistency/Common/RefCore.h']);
  });
});

test('scanRootmapLibraries: the libraries of every [ … ] section, one or several each', () => {
  const rootmap = '{ decls }\nnamespace A{class B;}\n\n[ libA.so ]\nclass A\n[libGpad.so libGraf.so  libHist.so]\nclass TButton\n[ unterminated.so\n';
  expect(scanRootmapLibraries(Buffer.from(rootmap)).map((r) => r.name)).toEqual(['libA.so', 'libGpad.so', 'libGraf.so', 'libHist.so', 'unterminated.so']);
});

test('isDictionaryLibraryPath: genreflex/cetbuildtools and Dict names, not other libraries', () => {
  expect(isDictionaryLibraryPath('products/art/v2_11_01/x/lib/libart_Persistency_Common_dict.so')).toBe(true);
  expect(isDictionaryLibraryPath('opt/lib/libEventDict.so.1.2')).toBe(true);
  expect(isDictionaryLibraryPath('opt/lib/libdictionary.so')).toBe(false);
  expect(isDictionaryLibraryPath('opt/lib/libA_dict_rdict.pcm')).toBe(false);
});

test('isHeaderPath: include trees and header extensions, not sources or libraries', () => {
  expect(isHeaderPath('products/gcc/v7_3_0/x/include/c++/7.3.0/vector')).toBe(true);
  expect(isHeaderPath('Offline/v7_5_4/SLF7/prof/Offline/RecoDataProducts/inc/StrawHit.hh')).toBe(true);
  expect(isHeaderPath('usr/local/foo.hpp')).toBe(true);
  expect(isHeaderPath('include/zlib.h')).toBe(true);
  expect(isHeaderPath('usr/lib64/libz.so.1')).toBe(false);
  expect(isHeaderPath('Offline/RecoDataProducts/src/StrawHit.cc')).toBe(false);
  expect(isHeaderPath('usr/share/doc.h/README')).toBe(false);
});
