;(function(){'use strict'
var modules=[]
function isSupported(){return'classList'in document.documentElement&&typeof document.querySelectorAll==='function'&&typeof Object.assign==='function'&&typeof window.addEventListener==='function'}
function register(name,factory,options){modules.push({name:name,factory:factory,requires:(options&&options.requires)||[]})}
function report(onError,error,name,element){onError=onError||haven.onError
if(typeof onError==='function')onError(error,{module:name,element:element})
else if(window.console)window.console.error(error)}
function initAll(scope,options){if(!isSupported())return
var onError=options&&options.onError
document.body.classList.add('haven-js-enabled')
var root=scope||document
modules.forEach(function(module){root.querySelectorAll('[data-module="'+module.name+'"]').forEach(function(element){if(element.hasAttribute('data-haven-init'))return
element.setAttribute('data-haven-init','')
try{module.requires.forEach(function(need){if(!haven[need])throw new Error(module.name+' requires haven.'+need)})
module.factory(element,haven)}catch(error){report(onError,error,module.name,element)}})})}
var COERCE={number:function(text,fallback){var n=parseFloat(text);return isNaN(n)?fallback:n},boolean:function(text){return text!=='false'},string:String}
function readConfig(element,schema){var config={}
Object.keys(schema).forEach(function(key){var type=schema[key][0]
var fallback=schema[key][1]
config[key]=key in element.dataset?COERCE[type](element.dataset[key],fallback):fallback})
return Object.freeze(config)}
var haven=window.haven=window.haven||{}
haven.register=register
haven.initAll=initAll
haven.readConfig=readConfig
Promise.resolve().then(function(){initAll()})})();(function(haven){'use strict'
var SCHEMA=Object.freeze({exitUrl:['string','https://www.bbc.co.uk/weather'],trigger:['string','escape'],statusText:['string',''],clearUrl:['string','']})
var TRIGGERS=Object.freeze({escape:{key:'Escape',presses:1},'escape-twice':{key:'Escape',presses:2},'shift-thrice':{key:'Shift',presses:3}})
var PRESS_WINDOW_MS=1000
var ACTIVE_CLASS='haven-quick-exit-active'
function modalIsOpen(){var dialog
try{dialog=document.querySelector('dialog:modal')}catch(unsupported){dialog=document.querySelector('dialog[open]')}
return Boolean(dialog||document.querySelector('[aria-modal="true"]:not([hidden])'))}
function startQuickExit(root){var config=haven.readConfig(root,SCHEMA)
var trigger=TRIGGERS[config.trigger]||TRIGGERS.escape
var link=root.querySelector('a[href]')
var leaving=false
var pressTimes=[]
var status=document.createElement('div')
status.className='haven-quick-exit-status haven-visually-hidden'
status.setAttribute('role','status')
status.lang=(root.closest('[lang]')||document.documentElement).lang
document.body.appendChild(status)
function leave(){document.documentElement.classList.add(ACTIVE_CLASS)
if(leaving)return
leaving=true
status.textContent=config.statusText
if(config.clearUrl&&window.fetch){window.fetch(config.clearUrl,{method:'POST',keepalive:true,credentials:'same-origin'}).catch(function(){})}
window.location.replace(config.exitUrl)}
function isTriggerPress(event){return event.key===trigger.key&&!event.defaultPrevented&&!event.isComposing&&event.keyCode!==229&&!event.repeat&&!event.ctrlKey&&!event.altKey&&!event.metaKey&&!modalIsOpen()}
function onKeydown(event){if(leaving){if(event.key==='Escape'||event.key===trigger.key)event.preventDefault()
return}
if(!isTriggerPress(event)){if(event.key!==trigger.key)pressTimes=[]
return}
var now=event.timeStamp||Date.now()
pressTimes=pressTimes.filter(function(time){return now-time<PRESS_WINDOW_MS})
pressTimes.push(now)
if(pressTimes.length>=trigger.presses){event.preventDefault()
leave()}}
window.addEventListener('keydown',onKeydown)
if(link){link.addEventListener('click',function(event){event.preventDefault()
leave()})}
window.addEventListener('pageshow',function(event){if(!event.persisted)return
leaving=false
pressTimes=[]
status.textContent=''
document.documentElement.classList.remove(ACTIVE_CLASS)})}
haven.register('haven-quick-exit',startQuickExit)})(window.haven);(function(haven){'use strict'
var BLOCK='haven-error-notice'
function noticeIn(container){return container.querySelector(':scope > .'+BLOCK)}
function hide(notice){var back=notice.havenReturnFocus
var container=notice.parentNode
var hadFocus=notice.contains(document.activeElement)
container.removeChild(notice)
if(!hadFocus)return
if(!back||!back.isConnected||back===document.body){back=container
if(back.tabIndex<0)back.tabIndex=-1}
back.focus()}
function start(notice){var button=notice.querySelector('button')
if(!button)return
button.hidden=false
button.addEventListener('click',function(){hide(notice)})}
function add(notice,tag,part,text){if(!text)return
var node=notice.appendChild(document.createElement(tag))
node.className=BLOCK+'__'+part
node.textContent=text
return node}
haven.showError=function(container,options){options=options||{}
var key=JSON.stringify(options)
var notice=noticeIn(container)
if(notice&&notice.havenKey===key)return notice
if(notice)container.removeChild(notice)
notice=document.createElement('div')
notice.className=BLOCK
notice.setAttribute('role','alert')
add(notice,'h2','title',options.title)
var texts=document.body.dataset
add(notice,'p','text',options.text||texts.havenErrorText)
add(notice,'p','details',options.details)
var dismiss=options.dismissible!==false&&add(notice,'button','dismiss',texts.havenDismissText)
if(dismiss)dismiss.type='button'
notice.havenKey=key
notice.havenReturnFocus=document.activeElement
container.insertBefore(notice,container.firstChild)
start(notice)
return notice}
haven.hideError=function(container){var notice=noticeIn(container)
if(notice)hide(notice)}
haven.register('haven-error-notice',start)})(window.haven);(function(haven){'use strict'
var TIMEOUT_MS=10000
var allowed=(document.documentElement.getAttribute('data-haven-consent')||'').split(' ')
function allows(category){return category==='essential'||allowed.indexOf(category)>-1}
function runScripts(){document.querySelectorAll('script[type="text/plain"][data-haven-consent]').forEach(function(inert){var category=inert.getAttribute('data-haven-consent')
if(!allows(category))return
var script=document.createElement('script')
Array.prototype.forEach.call(inert.attributes,function(attr){if(attr.name!=='type'&&attr.name!=='data-src')script.setAttribute(attr.name,attr.value)})
if(inert.nonce)script.nonce=inert.nonce
script.async=inert.hasAttribute('async')
script.src=inert.getAttribute('data-src')
inert.parentNode.replaceChild(script,inert)})}
function toRegExp(pattern){return new RegExp('^'+pattern.replace(/[.+?^${}()|[\]\\]/g,'\\$&').replace(/\*/g,'.*')+'$')}
function clear(patterns){var tests=patterns.map(toRegExp)
var host=location.hostname.split('.')
var segments=location.pathname.split('/')
document.cookie.split(';').forEach(function(pair){var name=pair.split('=')[0].trim()
if(!tests.some(function(test){return test.test(name)}))return
var domains=['']
for(var i=0;i<host.length-1;i++)domains.push(';domain=.'+host.slice(i).join('.'))
segments.forEach(function(segment,index){var path=segments.slice(0,index+1).join('/')||'/'
domains.forEach(function(domain){if(path==='/'&&!domain)return
document.cookie=name+'=;expires=Thu, 01 Jan 1970 00:00:00 GMT;path='+path+domain})})})}
function changed(data){allowed=Object.keys(data.choices||{}).filter(function(name){return data.choices[name]})
clear(data.clear||[])
runScripts()
document.dispatchEvent(new CustomEvent('haven:consent-change',{detail:{choices:data.choices}}))}
function send(form,button){var body=new FormData(form)
if(button&&button.name)body.append(button.name,button.value)
var controller=new AbortController()
var timer=setTimeout(function(){controller.abort()},TIMEOUT_MS)
function done(){clearTimeout(timer)}
return fetch(form.action,{method:'POST',body:body,credentials:'same-origin',headers:{Accept:'application/json'},signal:controller.signal}).then(function(response){done()
if(!response.ok)throw response
return response.json()},function(error){done()
throw error})}
function startBanner(root){var question=root.querySelector('.haven-cookie-banner__question')
var confirmation=root.querySelector('[data-haven-confirmation]')
var form=question.querySelector('form')
var busy=false
form.addEventListener('submit',function(event){event.preventDefault()
if(busy)return
busy=true
send(form,event.submitter||document.activeElement).then(function(data){question.hidden=true
confirmation.hidden=false
confirmation.focus()
changed(data)},function(){haven.showError(root.querySelector('[data-haven-error]'),{dismissible:false})}).then(function(){busy=false})})
confirmation.querySelector('form').addEventListener('submit',function(event){event.preventDefault()
root.hidden=true
var main=document.getElementById('main-content')
if(main)main.focus()})
document.addEventListener('haven:consent-change',function(){if(!question.hidden)root.hidden=true})}
haven.consent={allows:allows,send:send,changed:changed}
haven.register('haven-cookie-banner',startBanner,{requires:['showError']})
runScripts()})(window.haven);(function(haven){'use strict'
function startSettings(root){var form=root.querySelector('form')
var success=root.querySelector('[data-haven-success]')
var busy=false
if(root.querySelector('[data-module="haven-error-summary"]'))return
form.addEventListener('submit',function(event){event.preventDefault()
if(busy)return
busy=true
success.hidden=true
haven.consent.send(form).then(function(data){root.querySelector('[data-haven-error]').innerHTML=''
success.hidden=false
success.focus()
haven.consent.changed(data)},function(error){if(error&&error.status===400)return form.submit()
haven.showError(root.querySelector('[data-haven-error]'),{dismissible:false})}).then(function(){busy=false})})}
haven.register('haven-cookie-settings',startSettings,{requires:['consent','showError']})})(window.haven);(function(haven){'use strict'
function start(summary){summary.addEventListener('click',function(event){var target=document.getElementById((event.target.hash||'').slice(1))
if(!target)return
var group=target.closest('fieldset')
var input=target===group?target.querySelector('input'):target
if(!input)return
event.preventDefault();((/radio|checkbox/.test(input.type)&&group)||(input.labels||[])[0]||input).scrollIntoView()
input.focus({preventScroll:true})})}
haven.register('haven-error-summary',start)})(window.haven);(function(haven){'use strict'
var SCHEMA=Object.freeze({maxLength:['number',1200],leftText:['string','{n}'],overText:['string','-{n}']})
haven.register('haven-feedback-form',function(root){var config=haven.readConfig(root,SCHEMA)
var field=root.querySelector('textarea')
var shown=root.querySelector('[data-haven-count]')
var spoken=root.querySelector('[data-haven-count-spoken]')
var timer
if(!field||!shown||!spoken)return
var lang=(root.closest('[lang]')||document.documentElement).lang||undefined
function update(){var left=config.maxLength-Array.from(field.value).length
shown.className='haven-feedback-form__count '+(left<0?'haven-error-message':'haven-hint')
shown.textContent=(left<0?config.overText:config.leftText).replace('{n}',Math.abs(left).toLocaleString(lang))}
update()
field.addEventListener('input',function(){update()
clearTimeout(timer)
timer=setTimeout(function(){spoken.textContent=shown.textContent},1000)})})})(window.haven)